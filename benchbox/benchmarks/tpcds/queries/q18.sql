-- TPC-DS Q18 (Appendix B.18): averages of catalog sale quantities, prices, coupon amount, net
-- profit, customer birth year and dependants, rolled up by item, country, state and county, for
-- one year's sales to customers of one gender and education born in six months and living in
-- seven states.
-- @param YEAR 1998 ~ uniform(1998, 2002)
-- @param GEN 'F' ~ choice(vocab('gender'))
-- @param ES 'Unknown' ~ choice(vocab('education'))
-- @param STATE ['MS', 'IN', 'ND', 'OK', 'NM', 'VA', 'MS'] ~ [choice(vocab('states')), choice(vocab('states')), choice(vocab('states')), choice(vocab('states')), choice(vocab('states')), choice(vocab('states')), choice(vocab('states'))]
-- @param MONTH [1, 6, 8, 9, 12, 2] ~ sample(ints(1, 12), 6)
select
    i_item_id,
    ca_country,
    ca_state,
    ca_county,
    avg(cast(cs_quantity as decimal(12,2))) as agg1,
    avg(cast(cs_list_price as decimal(12,2))) as agg2,
    avg(cast(cs_coupon_amt as decimal(12,2))) as agg3,
    avg(cast(cs_sales_price as decimal(12,2))) as agg4,
    avg(cast(cs_net_profit as decimal(12,2))) as agg5,
    avg(cast(c_birth_year as decimal(12,2))) as agg6,
    avg(cast(buyer.cd_dep_count as decimal(12,2))) as agg7
from
    catalog_sales,
    customer_demographics buyer,
    customer_demographics current_demo,
    customer,
    customer_address,
    date_dim,
    item
where d_date_sk = cs_sold_date_sk
  and i_item_sk = cs_item_sk
  and buyer.cd_demo_sk = cs_bill_cdemo_sk
  and c_customer_sk = cs_bill_customer_sk
  and buyer.cd_gender = '${GEN}'
  and buyer.cd_education_status = '${ES}'
  and current_demo.cd_demo_sk = c_current_cdemo_sk
  and ca_address_sk = c_current_addr_sk
  and c_birth_month in (${MONTH})
  and d_year = ${YEAR}
  and ca_state in (${STATE})
group by rollup (i_item_id, ca_country, ca_state, ca_county)
order by ca_country, ca_state, ca_county, i_item_id
limit 100
