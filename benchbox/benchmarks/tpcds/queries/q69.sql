-- TPC-DS Q69 (Appendix B.69): demographic profiles (counts) of customers in three states who bought
-- in a store but neither on the web nor by catalog in a three-month period.
-- @param STATES ['KY', 'GA', 'NM'] ~ sample(vocab('states'), 3)
-- @param YEAR 2001 ~ uniform(1999, 2004)
-- @param MONTH 4 ~ uniform(1, 4)
select
    cd_gender,
    cd_marital_status,
    cd_education_status,
    count(*) as cnt1,
    cd_purchase_estimate,
    count(*) as cnt2,
    cd_credit_rating,
    count(*) as cnt3
from customer c, customer_address, customer_demographics
where c.c_current_addr_sk = ca_address_sk
  and ca_state in (${STATES})
  and cd_demo_sk = c.c_current_cdemo_sk
  and exists (
      select 1
      from store_sales, date_dim
      where ss_customer_sk = c.c_customer_sk
        and ss_sold_date_sk = d_date_sk
        and d_year = ${YEAR}
        and d_moy between ${MONTH} and ${MONTH} + 2
  )
  and not exists (
      select 1
      from web_sales, date_dim
      where ws_bill_customer_sk = c.c_customer_sk
        and ws_sold_date_sk = d_date_sk
        and d_year = ${YEAR}
        and d_moy between ${MONTH} and ${MONTH} + 2
  )
  and not exists (
      select 1
      from catalog_sales, date_dim
      where cs_ship_customer_sk = c.c_customer_sk
        and cs_sold_date_sk = d_date_sk
        and d_year = ${YEAR}
        and d_moy between ${MONTH} and ${MONTH} + 2
  )
group by cd_gender, cd_marital_status, cd_education_status, cd_purchase_estimate, cd_credit_rating
order by cd_gender, cd_marital_status, cd_education_status, cd_purchase_estimate, cd_credit_rating
limit 100
