-- TPC-DS Q85 (Appendix B.85): per web return reason, the average quantity sold, refunded cash and
-- return fee, for returns of a year matching given demographic, price, state and profit combinations.
-- @param MS ['M', 'S', 'W'] ~ sample(vocab('marital_status'), 3)
-- @param MS_1 'M' ~ MS[0]
-- @param MS_2 'S' ~ MS[1]
-- @param MS_3 'W' ~ MS[2]
-- @param ES ['Advanced Degree', 'College', '2 yr Degree'] ~ sample(vocab('education'), 3)
-- @param ES_1 'Advanced Degree' ~ ES[0]
-- @param ES_2 'College' ~ ES[1]
-- @param ES_3 '2 yr Degree' ~ ES[2]
-- @param STATE ['IN', 'OH', 'NJ', 'WI', 'CT', 'KY', 'LA', 'IA', 'AR'] ~ sample(vocab('states'), 9)
-- @param STATES_A ['IN', 'OH', 'NJ'] ~ [STATE[0], STATE[1], STATE[2]]
-- @param STATES_B ['WI', 'CT', 'KY'] ~ [STATE[3], STATE[4], STATE[5]]
-- @param STATES_C ['LA', 'IA', 'AR'] ~ [STATE[6], STATE[7], STATE[8]]
-- @param YEAR 2000 ~ uniform(1998, 2002)
select
    substr(r_reason_desc, 1, 20) as reason,
    avg(ws_quantity) as avg_quantity,
    avg(wr_refunded_cash) as avg_refunded_cash,
    avg(wr_fee) as avg_fee
from web_sales, web_returns, web_page, customer_demographics cd1, customer_demographics cd2,
    customer_address, date_dim, reason
where ws_web_page_sk = wp_web_page_sk
  and ws_item_sk = wr_item_sk
  and ws_order_number = wr_order_number
  and ws_sold_date_sk = d_date_sk
  and d_year = ${YEAR}
  and cd1.cd_demo_sk = wr_refunded_cdemo_sk
  and cd2.cd_demo_sk = wr_returning_cdemo_sk
  and ca_address_sk = wr_refunded_addr_sk
  and r_reason_sk = wr_reason_sk
  and cd1.cd_marital_status = cd2.cd_marital_status
  and cd1.cd_education_status = cd2.cd_education_status
  and (
        (cd1.cd_marital_status = '${MS_1}'
         and cd1.cd_education_status = '${ES_1}'
         and ws_sales_price between 100.00 and 150.00)
     or (cd1.cd_marital_status = '${MS_2}'
         and cd1.cd_education_status = '${ES_2}'
         and ws_sales_price between 50.00 and 100.00)
     or (cd1.cd_marital_status = '${MS_3}'
         and cd1.cd_education_status = '${ES_3}'
         and ws_sales_price between 150.00 and 200.00)
  )
  and ca_country = 'United States'
  and (
        (ca_state in (${STATES_A}) and ws_net_profit between 100 and 200)
     or (ca_state in (${STATES_B}) and ws_net_profit between 150 and 300)
     or (ca_state in (${STATES_C}) and ws_net_profit between 50 and 250)
  )
group by r_reason_desc
order by substr(r_reason_desc, 1, 20), avg(ws_quantity), avg(wr_refunded_cash), avg(wr_fee)
limit 100
