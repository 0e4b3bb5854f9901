-- TPC-DS Q16 (Appendix B.16): number, shipping cost and net profit of catalog orders shipped within
-- 60 days to one state from call centers in given counties, filled from more than one warehouse
-- and never returned.
-- @param YEAR 2002 ~ uniform(1999, 2002)
-- @param MONTH 2 ~ uniform(2, 5)
-- @param STATE 'GA' ~ choice(vocab('states'))
-- @param COUNTY ['Williamson County', 'Williamson County', 'Williamson County', 'Williamson County', 'Williamson County'] ~ [choice(vocab('call_center_counties')), choice(vocab('call_center_counties')), choice(vocab('call_center_counties')), choice(vocab('call_center_counties')), choice(vocab('call_center_counties'))]
select
    count(distinct cs1.cs_order_number) as order_count,
    sum(cs1.cs_ext_ship_cost) as total_shipping_cost,
    sum(cs1.cs_net_profit) as total_net_profit
from catalog_sales cs1, date_dim, customer_address, call_center
-- MONTH is a single digit (2 to 5)
where d_date between date '${YEAR}-0${MONTH}-01' and date '${YEAR}-0${MONTH}-01' + interval '60' day
  and d_date_sk = cs1.cs_ship_date_sk
  and ca_address_sk = cs1.cs_ship_addr_sk
  and ca_state = '${STATE}'
  and cc_call_center_sk = cs1.cs_call_center_sk
  and cc_county in (${COUNTY})
  and exists (
        select 1
        from catalog_sales cs2
        where cs2.cs_order_number = cs1.cs_order_number
          and cs2.cs_warehouse_sk <> cs1.cs_warehouse_sk
    )
  and not exists (
        select 1
        from catalog_returns
        where cr_order_number = cs1.cs_order_number
    )
order by order_count
limit 100
